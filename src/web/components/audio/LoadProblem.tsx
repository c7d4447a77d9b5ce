// What a part of the Audio tab shows when its endpoint is missing on this server (404) or
// could not be read: it never takes the rest of the tab down with it.
import { errorMessage } from '../../api/client.js';
import { isNotAvailable } from '../../api/services.js';

interface Props {
  what: string;
  error: unknown;
  testId?: string;
}

export function LoadProblem({ what, error, testId }: Props) {
  if (isNotAvailable(error)) {
    return (
      <p className="small muted" data-testid={testId} data-unavailable="true">
        {what}: not available on this server.
      </p>
    );
  }
  return (
    <p className="small error-text" role="alert" data-testid={testId}>
      Couldn't load {what.toLowerCase()}: {errorMessage(error)}
    </p>
  );
}
