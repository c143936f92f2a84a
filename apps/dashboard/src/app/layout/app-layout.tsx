import type { ReactNode } from 'react';
import { Sidebar } from './sidebar';
import { TopBar } from './top-bar';

export function AppLayout({ children }: { readonly children: ReactNode }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <div className="shell-main">
        <TopBar />
        <main id="main" className="content">
          {children}
        </main>
      </div>
    </div>
  );
}
