// The leak test's corpora, generated with @faker-js/faker from a seed (same corpus every run):
// values of every built-in type embedded in prose, JSON, CSV, markdown tables and log lines, and a
// PII-free corpus of look-alikes (dates, versions, prices, hashes, UUIDs, code, lorem, products).
import { Faker, en, en_GB, de, fr, it as itLocale, nl, en_AU, es } from '@faker-js/faker';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type Part = string | { type: string; value: string };
export interface Doc {
  text: string;
  /** Where each planted value stands in `text` (as written there, e.g. JSON-escaped). */
  values: { type: string; start: number; end: number }[];
}

const PHONE_LOCALES: [Faker, CountryCode][] = [
  [new Faker({ locale: [en_GB, en] }), 'GB'],
  [new Faker({ locale: [de, en] }), 'DE'],
  [new Faker({ locale: [fr, en] }), 'FR'],
  [new Faker({ locale: [itLocale, en] }), 'IT'],
  [new Faker({ locale: [nl, en] }), 'NL'],
  [new Faker({ locale: [en_AU, en] }), 'AU'],
  [new Faker({ locale: [es, en] }), 'ES'],
];

export function makeGenerators(f: Faker, names: readonly string[]) {
  const b64url = (s: string) => Buffer.from(s).toString('base64url');
  const alnum = (n: number) => f.string.alphanumeric({ length: n, casing: 'mixed' });
  const phone = (): string => {
    // International numbers from several countries, in several spellings, and US numbers written
    // nationally (the leak test scrubs with defaultRegion US). Only numbers libphonenumber calls
    // possible (international) / valid (national) count as phone numbers — faker also makes up
    // impossible ones, which are not PII-shaped at all.
    for (;;) {
      const style = f.number.int(4);
      if (style === 0) {
        const n = parsePhoneNumberFromString(f.phone.number({ style: 'national' }), 'US');
        if (n?.isValid()) return f.helpers.arrayElement([n.formatNational(), n.number.slice(2)]);
        continue;
      }
      const [lf, cc] = f.helpers.arrayElement(PHONE_LOCALES);
      lf.seed(f.number.int(1e9));
      const n = parsePhoneNumberFromString(lf.phone.number(), cc);
      if (!n?.isPossible()) continue;
      const intl = n.formatInternational();
      return [
        intl,
        n.number,
        intl.replace(/ /g, '-'),
        intl.replace(/ /g, '.'),
        n.countryCallingCode === '1' ? n.number : intl.replace(/^(\+\d+) /, '$1 (0)'),
      ][style % 5]!;
    }
  };
  const secret = (): string =>
    f.helpers.arrayElement([
      () => `sk-${alnum(48)}`,
      () => `sk-proj-${alnum(40)}_${alnum(20)}`,
      () => `ghp_${alnum(36)}`,
      () => `gho_${alnum(36)}`,
      () => `github_pat_${alnum(22)}_${alnum(59)}`,
      () => `xoxb-${f.string.numeric(12)}-${f.string.numeric(13)}-${alnum(24)}`,
      () => `xoxp-${f.string.numeric(12)}-${f.string.numeric(12)}-${alnum(32)}`,
      () => `AKIA${f.string.alphanumeric({ length: 16, casing: 'upper' })}`,
      () => `AIza${alnum(35)}`,
      () => `hf_${alnum(34)}`,
      () => `glpat-${alnum(20)}`,
      () =>
        `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(
          JSON.stringify({ sub: f.string.uuid(), name: f.person.fullName(), iat: f.number.int(2e9) }),
        )}.${f.string.alphanumeric(43)}`,
      () => alnum(f.number.int({ min: 32, max: 64 })),
    ])();
  const ipv6 = (): string => {
    const full = f.internet.ipv6();
    if (f.datatype.boolean()) return full;
    const g = full.split(':').map((x) => x.replace(/^0+(?=.)/, ''));
    const cut = f.number.int({ min: 1, max: 6 });
    return `${g.slice(0, cut).join(':')}::${g.slice(cut + 2).join(':')}`;
  };
  const cardStyle = (c: string): string => [c, c.replace(/-/g, ''), c.replace(/-/g, ' ')][f.number.int(2)]!;
  return {
    EMAIL: () => f.internet.email(),
    PHONE: phone,
    CARD: () => cardStyle(f.finance.creditCardNumber()),
    IBAN: () => f.finance.iban({ formatted: f.datatype.boolean() }),
    IP: () => (f.datatype.boolean() ? f.internet.ipv4() : ipv6()),
    URL: () =>
      `${f.helpers.arrayElement(['https', 'postgres', 'redis', 'amqp', 'ftp'])}://${encodeURIComponent(
        f.internet.username(),
      )}:${encodeURIComponent(f.internet.password())}@${f.internet.domainName()}${f.helpers.arrayElement([
        '',
        `:${f.internet.port()}`,
      ])}/${f.lorem.slug(2)}`,
    SECRET: secret,
    PERSON: () => f.helpers.arrayElement(names),
  } satisfies Record<string, () => string>;
}

/** Lays parts out into a document, recording where each value lands. */
export function layout(parts: readonly Part[]): Doc {
  let text = '';
  const values: Doc['values'] = [];
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else {
      values.push({ type: p.type, start: text.length, end: text.length + p.value.length });
      text += p.value;
    }
  }
  return { text, values };
}

type Value = { type: string; value: string };
const esc = (v: Value): Value => ({ type: v.type, value: JSON.stringify(v.value).slice(1, -1) });

/** One document holding `vals` in one of five shapes. */
export function embed(f: Faker, vals: readonly Value[], shape: number): Part[] {
  const w = () => f.lorem.words(f.number.int({ min: 2, max: 8 }));
  switch (shape % 5) {
    case 0: // prose
      return vals.flatMap((v) => [
        `${f.lorem.sentence()} ${f.helpers.arrayElement(['Contact', 'See', 'Use', 'Ask'])} `,
        v,
        `${f.helpers.arrayElement(['.', ',', ';', ' —', ')', '!'])} ${w()} `,
      ]);
    case 1: {
      // JSON: every value a string field
      const parts: Part[] = ['{'];
      vals.forEach((v, i) => parts.push(`${i ? ',' : ''}"${v.type.toLowerCase()}_${i}":"`, esc(v), '"'));
      return [...parts, `,"note":"${w()}"}\n`];
    }
    case 2: // CSV: a header and one row
      return [
        vals.map((v, i) => `${v.type.toLowerCase()}${i}`).join(',') + '\n',
        ...vals.flatMap((v, i) => [i ? ',' : '', ...(v.value.includes('\n') ? ['"', v, '"'] : [v])]),
        '\n',
      ];
    case 3: // markdown table: one row per value
      return [
        '| field | value | note |\n|---|---|---|\n',
        ...vals.flatMap((v) => [
          `| ${v.type.toLowerCase()} | `,
          v.value.includes('\n') ? esc(v) : v,
          ` | ${w()} |\n`,
        ]),
      ];
    default: // log lines
      return vals.flatMap((v) => [
        `2026-12-01T${f.number.int({ min: 10, max: 23 })}:${f.number.int({ min: 10, max: 59 })}:07.${f.string.numeric(3)}Z INFO [worker-${f.number.int(9)}] ${w()} value=`,
        v,
        ` took=${f.number.int(900)}ms\n`,
      ]);
  }
}

/** PII-free text full of look-alikes. */
export function cleanDoc(f: Faker): string {
  const semver = () => `${f.number.int(20)}.${f.number.int(40)}.${f.number.int(99)}`;
  const pieces = [
    () => f.lorem.paragraph(),
    () => f.commerce.productDescription(),
    () => `${f.company.name()}: ${f.company.catchPhrase()}.`,
    () =>
      `Released v${semver()} on ${f.date.past().toISOString().slice(0, 10)} (${semver()}-rc.${f.number.int(9)}).`,
    () =>
      `Price ${f.commerce.price({ symbol: '$' })}, was €${f.number.int({ min: 1000, max: 999999 }).toLocaleString('en-US')}.00; order #${f.string.numeric(6)}.`,
    () =>
      `commit ${f.git.commitSha()} (${f.git.commitSha({ length: 7 })}) sha256:${f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' })}`,
    () => `id=${f.string.uuid()} at ${f.date.recent().toISOString()} and ${f.date.recent().toUTCString()}`,
    () =>
      `const ${f.hacker.noun().replace(/\W/g, '')}Count = items.filter((x) => x.${f.database.column()} > ${f.number.int(100)}).length; // ${f.hacker.phrase()}`,
    () =>
      `SELECT ${f.database.column()} FROM ${f.database.column()}s WHERE created_at > '2024-01-05 12:30:45' LIMIT ${f.number.int(500)};`,
    () =>
      `${f.system.filePath()} ${f.system.semver()} ${f.internet.url()} ${f.color.rgb()} ${f.number.float({ max: 1000, fractionDigits: 4 })}`,
    () =>
      `Meeting 12:30-13:45, room ${f.number.int(400)}, ${f.number.int(100)}% done, ratio 16:9, ${f.date.month()} ${f.number.int({ min: 1, max: 28 })}, ${f.number.int({ min: 1990, max: 2030 })}.`,
  ];
  return Array.from({ length: 12 }, () => f.helpers.arrayElement(pieces)()).join('\n');
}
