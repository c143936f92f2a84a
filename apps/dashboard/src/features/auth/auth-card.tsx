import type { ReactNode } from 'react';
import { BrandMark } from '../../ui/brand-mark';

/** The centred card every public page (log-in, sign-up, invitation) sits in. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  readonly title: string;
  readonly subtitle?: ReactNode;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
}) {
  return (
    <div className="auth-page">
      <div className="auth-brand">
        <BrandMark />
        <span>Paygate</span>
      </div>
      <main className="auth-card">
        <h1>{title}</h1>
        {subtitle !== undefined && <p className="muted auth-subtitle">{subtitle}</p>}
        {children}
      </main>
      {footer !== undefined && <p className="auth-footer">{footer}</p>}
    </div>
  );
}
