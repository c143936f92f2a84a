import { useMutation } from '@tanstack/react-query';
import { useReauth } from '../auth/reauth/reauth-context';
import { apiSecretApi, type RevealedSecret } from './api-secret-api';

/**
 * Reveal the active secrets, confirming identity when the server asks. The values go to
 * `onRevealed` only: TanStack Query keeps mutation results in its cache, and a secret must not
 * outlive the page state that shows it, so the mutation itself resolves to a count.
 */
export function useRevealSecrets(bpId: string, onRevealed: (secrets: readonly RevealedSecret[]) => void) {
  const withReauth = useReauth();
  return useMutation({
    mutationFn: async () => {
      const revealed = await withReauth(() => apiSecretApi.reveal(bpId));
      onRevealed(revealed.items);
      return revealed.items.length;
    },
  });
}
