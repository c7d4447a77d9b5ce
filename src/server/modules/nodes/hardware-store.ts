// SQL for hardware history and the node facts cache (MACs seen, kept for Wake-on-LAN).
import type { HardwareHistoryPoint, NodeHardware } from '../../../common/api.js';
import type { Db } from '../../platform/store/db.js';

/** Charts never need more points than this; longer windows are averaged into buckets. */
const MAX_POINTS = 720;

export class HardwareStore {
  private readonly insert;
  private readonly upsertFacts;
  private readonly selectFacts;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO hardware_samples
      (node, ts, ok, load1, cores, ram_used, ram_total, gpu_mem_used, util_pct, temp_c, power_w, disk_used, disk_total)
      VALUES (@node, @ts, @ok, @load1, @cores, @ram_used, @ram_total, @gpu_mem_used, @util_pct, @temp_c, @power_w, @disk_used, @disk_total)`);
    this.upsertFacts =
      db.prepare(`INSERT INTO node_facts (node, mac, hostname, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(node) DO UPDATE SET mac = coalesce(excluded.mac, mac), hostname = coalesce(excluded.hostname, hostname),
      updated_at = excluded.updated_at`);
    this.selectFacts = db.prepare('SELECT node, mac, hostname FROM node_facts');
  }

  /** One transaction per sweep: a crash never leaves half a sweep behind. */
  record(samples: NodeHardware[], ts: number): void {
    this.db.transaction(() => {
      for (const h of samples) {
        this.insert.run({
          node: h.name,
          ts,
          ok: h.ok ? 1 : 0,
          load1: h.load1,
          cores: h.cores,
          ram_used: h.ram_used,
          ram_total: h.ram_total,
          gpu_mem_used: h.gpu_mem_used,
          util_pct: h.gpu?.util_pct ?? null,
          temp_c: h.gpu?.temp_c ?? null,
          power_w: h.gpu?.power_w ?? null,
          disk_used: h.disk_used,
          disk_total: h.disk_total,
        });
        if (h.ok && (h.mac || h.hostname)) this.upsertFacts.run(h.name, h.mac, h.hostname, ts);
      }
    })();
  }

  knownFacts(): Map<string, { mac: string | null; hostname: string | null }> {
    const rows = this.selectFacts.all() as { node: string; mac: string | null; hostname: string | null }[];
    return new Map(rows.map((r) => [r.node, { mac: r.mac, hostname: r.hostname }]));
  }

  history(node: string, minutes: number, now = Date.now()): HardwareHistoryPoint[] {
    const since = now - minutes * 60_000;
    const bucket = Math.max(1, Math.ceil((minutes * 60_000) / MAX_POINTS));
    const rows = this.db
      .prepare(
        `SELECT (ts / @bucket) * @bucket AS ts, min(ok) AS ok, avg(load1) AS load1, max(cores) AS cores,
           avg(ram_used) AS ram_used, max(ram_total) AS ram_total, avg(gpu_mem_used) AS gpu_mem_used,
           avg(util_pct) AS util_pct, avg(temp_c) AS temp_c, avg(power_w) AS power_w,
           avg(disk_used) AS disk_used, max(disk_total) AS disk_total
         FROM hardware_samples WHERE node = @node AND ts >= @since
         GROUP BY ts / @bucket ORDER BY 1 DESC LIMIT @max`,
      )
      // Buckets aligned to the epoch can split the window into MAX_POINTS + 1; the newest win.
      .all({ node, since, bucket, max: MAX_POINTS })
      .reverse() as (Omit<HardwareHistoryPoint, 'ok'> & { ok: number })[];
    const round = (v: number | null) => (v === null ? null : Math.round(v));
    return rows.map((r) => ({
      ...r,
      ok: r.ok === 1,
      ram_used: round(r.ram_used),
      gpu_mem_used: round(r.gpu_mem_used),
      disk_used: round(r.disk_used),
    }));
  }

  prune(olderThan: number): number {
    return this.db.prepare('DELETE FROM hardware_samples WHERE ts < ?').run(olderThan).changes;
  }
}
