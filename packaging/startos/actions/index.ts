import { sdk } from '../sdk.js';
import { configureSparks } from './configure-sparks.js';
import { showPublicKey } from './show-public-key.js';

export const actions = sdk.Actions.of().addAction(configureSparks).addAction(showPublicKey);
