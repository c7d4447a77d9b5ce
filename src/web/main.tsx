import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './llm.css';
import './forms.css';
import './endpoint.css';
import './auth.css';
import './audio.css';
import { authSessionKey } from './api/auth.js';
import { ApiError } from './api/client.js';
import { App } from './App.js';
import { AuthGate } from './components/AuthGate.js';

// A 401 anywhere means the session ended (expired, logged out elsewhere): ask again, which
// brings back the login page.
const recheckSessionOn401 = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401)
    void client.invalidateQueries({ queryKey: authSessionKey });
};

const client: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (query.queryKey[0] !== authSessionKey[0]) recheckSessionOn401(error);
    },
  }),
  mutationCache: new MutationCache({ onError: recheckSessionOn401 }),
  defaultOptions: {
    queries: {
      // Snapshots are pushed by the event stream; refetching on every mount would only repeat them.
      staleTime: 5_000,
      // Retry network trouble and 5xx, not answers the server meant (4xx).
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <AuthGate>
        <App />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);
