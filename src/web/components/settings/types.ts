import type { Dispatch, SetStateAction } from 'react';
import type { SettingsForm } from './form.js';

export type SetForm = Dispatch<SetStateAction<SettingsForm>>;
