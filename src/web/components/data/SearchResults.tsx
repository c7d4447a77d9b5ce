// The hits of one search: rank, score, and the payload's title and text when it has them (any
// other payload is shown as compact JSON). Everything is rendered as text.
import type { SearchHit, SearchResponse } from '../../../common/search-api.js';

const MAX_TEXT = 600;

function field(hit: SearchHit, key: string): string | null {
  const v = hit.payload?.[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function rest(hit: SearchHit): string | null {
  if (!hit.payload) return null;
  const others = Object.fromEntries(Object.entries(hit.payload).filter(([k]) => k !== 'title' && k !== 'text'));
  const json = JSON.stringify(others);
  if (json === '{}') return null;
  return json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json;
}

export function SearchResults({ response, query }: { response: SearchResponse; query: string }) {
  if (response.results.length === 0) {
    return (
      <p className="small muted" data-testid="search-empty">
        Nothing found for “{query}”.
      </p>
    );
  }
  return (
    <div className="stack-tight">
      <p className="small muted" data-testid="search-summary">
        {response.results.length} results in {response.took_ms} ms
      </p>
      <ol className="search-results" data-testid="search-results">
        {response.results.map((hit) => {
          const text = field(hit, 'text');
          const extra = rest(hit);
          return (
            <li key={String(hit.id)} className="search-hit" data-testid="search-hit">
              <div className="search-hit-head">
                <span className="search-hit-title" data-testid="search-hit-title">
                  {field(hit, 'title') ?? `#${String(hit.id)}`}
                </span>
                <span className="pill mono" title="Cosine similarity" data-testid="search-hit-score">
                  {hit.score.toFixed(3)}
                </span>
              </div>
              {text ? (
                <p className="small search-hit-text">{text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text}</p>
              ) : null}
              {extra ? <p className="small muted mono search-hit-extra">{extra}</p> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
