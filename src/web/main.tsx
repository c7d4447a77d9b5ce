import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './llm.css';
import './forms.css';
import './endpoint.css';
import { ApiError } from './api/client.js';
import { App } from './App.js';

const client = new QueryClient({
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
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
