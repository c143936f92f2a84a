import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { ReauthProvider } from '../features/auth/reauth/reauth-provider';
import { createQueryClient } from './query-client';
import { AppRouter } from './router';

export function App() {
  // One client per mounted app (not a module singleton) so tests and hot reloads start clean.
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ReauthProvider>
        <AppRouter />
      </ReauthProvider>
    </QueryClientProvider>
  );
}
