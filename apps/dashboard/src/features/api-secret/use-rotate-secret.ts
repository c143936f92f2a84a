import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReauth } from '../auth/reauth/reauth-context';
import { notificationsKey } from '../notifications/notifications-api';
import { apiSecretApi, apiSecretsKey } from './api-secret-api';
import type { IssuedSecret } from './issued-secret';

/**
 * Rotate the secret, confirming identity when the server asks. As with revealing, the new value
 * goes to `onRotated` and not into the mutation's cached result.
 */
export function useRotateSecret(bpId: string, onRotated: (issued: IssuedSecret) => void) {
  const client = useQueryClient();
  const withReauth = useReauth();
  return useMutation({
    mutationFn: async (overlapSeconds: number) => {
      const rotated = await withReauth(() => apiSecretApi.rotate(bpId, overlapSeconds));
      onRotated({ id: rotated.id, secret: rotated.secret, previousExpiresAt: rotated.previousExpiresAt, overlapSeconds });
      return rotated.id;
    },
    onSuccess: async () => {
      // The list gains the new secret and the old one's end; the team is notified of the rotation.
      await Promise.all([client.invalidateQueries({ queryKey: apiSecretsKey(bpId) }), client.invalidateQueries({ queryKey: notificationsKey(bpId) })]);
    },
  });
}
