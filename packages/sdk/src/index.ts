export {
  type Balance,
  type CallbackRejection,
  CallbackVerificationError,
  type DepositAddress,
  type KeyFile,
  parseKeyFile,
  type SupportedCurrency,
  type Transaction,
  type TransactionPage,
  type VerifiedCallback,
  verifyCallback,
} from '@paygate/protocol';
export {
  type CallbackHandlerOptions,
  createCallbackHandler,
  type FastifyLike,
  readRawBody,
  registerFastifyCallbackRoute,
  verifyExpressCallback,
} from './callbacks.js';
export { type Me, Paygate, type PaygateOptions, type RequestOptions } from './client.js';
export { PaygateApiError, PaygateConnectionError, type ProblemDocument } from './errors.js';
