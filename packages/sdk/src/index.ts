export {
  type Balance,
  type CallbackPayload,
  type CallbackRejection,
  CallbackVerificationError,
  type DepositAddress,
  type DepositUrl,
  isPortableBody,
  type KeyFile,
  type PortableBodyViolation,
  parseKeyFile,
  portableBodyViolations,
  type SupportedCurrency,
  type Transaction,
  type TransactionCallbackKind,
  type TransactionCallbackPayload,
  type TransactionPage,
  type VerificationCallbackPayload,
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
