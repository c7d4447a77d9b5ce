// Semantic search over a Qdrant collection (POST /api/search): pick a collection, type a
// question, read the nearest documents with their scores. Text from the payload is rendered as
// text (React escapes it), never as HTML.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SearchResponse } from '../../../common/search-api.js';
import { errorMessage } from '../../api/client.js';
import { getCollections, runSearch, searchKeys } from '../../api/search.js';
import { SearchResults } from './SearchResults.js';

const LIMIT = 5;

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; response: SearchResponse; query: string }
  | { kind: 'error'; message: string };

export function SearchPanel() {
  const collections = useQuery({
    queryKey: searchKeys.collections,
    queryFn: ({ signal }) => getCollections(signal),
    retry: false,
  });
  const names = collections.data?.collections.map((c) => c.name) ?? [];
  const [picked, setPicked] = useState('');
  const collection = names.includes(picked) ? picked : (names[0] ?? '');
  const [query, setQuery] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const inFlight = useRef<AbortController | null>(null);
  useEffect(() => () => inFlight.current?.abort(), []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = query.trim();
    if (!collection || !text) return;
    inFlight.current?.abort();
    const ctl = new AbortController();
    inFlight.current = ctl;
    setState({ kind: 'loading' });
    runSearch({ collection, query: text, limit: LIMIT }, ctl.signal).then(
      (response) => ctl === inFlight.current && setState({ kind: 'done', response, query: text }),
      (err: unknown) => {
        if (ctl !== inFlight.current || (err instanceof DOMException && err.name === 'AbortError')) return;
        setState({ kind: 'error', message: errorMessage(err) });
      },
    );
  };

  return (
    <section className="card search-panel" aria-labelledby="search-title" data-testid="search-panel">
      <header className="card-title-row">
        <h3 className="model-name" id="search-title">
          Search
        </h3>
        <span className="small muted">Semantic search in a Qdrant collection</span>
      </header>
      {collections.error ? (
        <p className="small error-text" role="alert" data-testid="search-collections-error">
          Couldn't load the collections: {errorMessage(collections.error)}
        </p>
      ) : null}
      <form className="search-form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Collection</span>
          <select
            className="input input-narrow"
            value={collection}
            onChange={(e) => setPicked(e.target.value)}
            disabled={names.length === 0}
            data-testid="search-collection"
          >
            {names.length === 0 ? (
              <option value="">{collections.isPending ? 'Loading…' : 'No collections'}</option>
            ) : null}
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field search-query">
          <span className="field-label">Query</span>
          <input
            className="input"
            type="search"
            value={query}
            maxLength={8000}
            placeholder="e.g. how much memory does a model need?"
            onChange={(e) => setQuery(e.target.value)}
            data-testid="search-query"
          />
        </label>
        <button
          className="btn btn-primary"
          type="submit"
          disabled={!collection || !query.trim() || state.kind === 'loading'}
          data-testid="search-submit"
        >
          {state.kind === 'loading' ? 'Searching…' : 'Search'}
        </button>
      </form>
      {state.kind === 'error' ? (
        <p className="error-box small" role="alert" data-testid="search-error">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'done' ? <SearchResults response={state.response} query={state.query} /> : null}
    </section>
  );
}
