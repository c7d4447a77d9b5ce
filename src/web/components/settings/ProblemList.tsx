// Problems as `path: message` lines: the config file's on disk, or a refused save's that no field shows.
import type { SettingsProblem } from '../../../common/config-api.js';

export function ProblemList({ problems, testId }: { problems: SettingsProblem[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="settings-problem-list" data-testid={testId}>
      {problems.map((p, i) => (
        <li key={i}>
          <code>{p.path}</code>: {p.message}
        </li>
      ))}
    </ul>
  );
}
