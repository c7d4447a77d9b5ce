// What every settings field needs besides its value: the problems placed beside it and the
// environment variable (if any) that fixes its value.
import { createContext, useContext } from 'react';
import { envFor } from './problems.js';

export interface SettingsContextValue {
  problems: Map<string, string[]>;
  env: Record<string, string>;
}

export const SettingsContext = createContext<SettingsContextValue>({ problems: new Map(), env: {} });

export function useSettingState(path: string) {
  const { problems, env } = useContext(SettingsContext);
  return { problems: problems.get(path) ?? [], envVar: envFor(path, env) };
}
