export { type KeyFile, parseKeyFile } from '@paygate/protocol';
export { type Me, Paygate, type PaygateOptions, type RequestOptions } from './client.js';
export { PaygateApiError, PaygateConnectionError, type ProblemDocument } from './errors.js';
