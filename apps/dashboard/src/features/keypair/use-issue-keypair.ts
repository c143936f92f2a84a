import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../app/api-error';
import { useReauth } from '../auth/reauth/reauth-context';
import { notificationsKey } from '../notifications/notifications-api';
import type { IssuedKey } from './issued-key';
import { type IssueKeyPairRequest, keypairApi, keypairsKey } from './keypair-api';

/**
 * Generate or upload a KeyPair (or refresh the active one), confirming identity when the server
 * asks. The new key is handed to `onIssued`; the mutation's own result keeps only the public
 * parts, because TanStack Query holds mutation results in its cache and the private key must
 * not outlive the "save your private key" panel.
 */
export function useIssueKeyPair(bpId: string, onIssued: (issued: IssuedKey) => void) {
  const client = useQueryClient();
  const withReauth = useReauth();
  return useMutation({
    mutationFn: async (request: IssueKeyPairRequest) => {
      const issued = await withReauth(() => keypairApi.issue(bpId, request));
      const secret = issued.privateKey !== null && issued.keyFile !== null ? { privateKey: issued.privateKey, keyFile: issued.keyFile } : null;
      onIssued({ keyId: issued.keypair.id, secret });
      return { keyId: issued.keypair.id, replacedKeyId: issued.replacedKeyId };
    },
    onSuccess: async () => {
      // Issuing notifies the team (critical on refresh), so the bell should show it now.
      await Promise.all([client.invalidateQueries({ queryKey: keypairsKey(bpId) }), client.invalidateQueries({ queryKey: notificationsKey(bpId) })]);
    },
    onError: async (error: unknown) => {
      // Someone else issued a key since the page loaded; reload so it offers a refresh instead.
      if (isApiError(error, 'keypair_confirmation_required')) await client.invalidateQueries({ queryKey: keypairsKey(bpId) });
    },
  });
}
