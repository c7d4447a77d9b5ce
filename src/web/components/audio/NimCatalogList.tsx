// The curated NIM images, each with a Pick button that fills the install form.
import type { NimCatalogEntry } from '../../../common/services-api.js';
import { useNimCatalog } from '../../hooks/audioQueries.js';
import { LoadProblem } from './LoadProblem.js';

export function NimCatalogList({ onPick }: { onPick: (e: NimCatalogEntry) => void }) {
  const { data, error } = useNimCatalog(true);
  if (error) return <LoadProblem what="NIM catalog" error={error} testId="nim-catalog-unavailable" />;
  if (!data) return <p className="small muted">Loading the catalog…</p>;
  if (data.length === 0) return <p className="small muted">The catalog is empty: enter an image below.</p>;
  return (
    <ul className="nim-catalog" data-testid="nim-catalog">
      {data.map((e) => (
        <li key={e.id} className="nim-entry" data-testid={`nim-entry-${e.id}`}>
          <div className="stack-tight">
            <div className="card-title-row">
              <strong>{e.name}</strong>
              {e.runs_on_spark ? (
                <span className="pill pill-ok">runs on DGX Spark</span>
              ) : (
                <span className="pill pill-warn">not for DGX Spark</span>
              )}
            </div>
            <span className="mono small">{e.image}</span>
            {e.notes ? <span className="small muted">{e.notes}</span> : null}
          </div>
          <button
            type="button"
            className="btn"
            data-testid={`nim-pick-${e.id}`}
            aria-label={`Pick ${e.name}`}
            onClick={() => onPick(e)}
          >
            Pick
          </button>
        </li>
      ))}
    </ul>
  );
}
