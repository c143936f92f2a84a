import { api } from '../../app/api-client';

export const passwordApi = {
  /** Needs recent re-authentication; ends the user's other sessions. */
  change: (newPassword: string) => api.postEmpty('/api/me/password', { newPassword }),
};
