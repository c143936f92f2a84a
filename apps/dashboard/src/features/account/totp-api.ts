import { api } from '../../app/api-client';

export interface TotpSetup {
  readonly secret: string;
  readonly otpauthUri: string;
}

export const totpApi = {
  setup: () => api.post<TotpSetup>('/api/me/totp/setup'),
  enable: (code: string) => api.postEmpty('/api/me/totp/enable', { code }),
  disable: () => api.postEmpty('/api/me/totp/disable'),
};
