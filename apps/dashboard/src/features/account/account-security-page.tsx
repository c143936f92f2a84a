import { PageHeader } from '../../ui/page-header';
import { useCurrentSession } from '../auth/current-session';
import { ChangePasswordForm } from './change-password-form';
import { TotpDisable } from './totp-disable';
import { TotpEnrolment } from './totp-enrolment';

export function AccountSecurityPage() {
  const { user } = useCurrentSession();
  return (
    <>
      <PageHeader title="Account security" description="Settings for your own login; they apply to every Business Partner you belong to." />
      <section className="panel" aria-labelledby="profile-title">
        <div className="panel-header">
          <h2 id="profile-title">Profile</h2>
        </div>
        <dl className="details-grid">
          <div>
            <dt>Name</dt>
            <dd>{user.name}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="password-title">
        <div className="panel-header">
          <h2 id="password-title">Password</h2>
        </div>
        <ChangePasswordForm />
      </section>
      <section className="panel" aria-labelledby="totp-title">
        <div className="panel-header">
          <h2 id="totp-title">Two-factor authentication</h2>
          {user.totpEnabled ? <span className="badge badge-success">On</span> : <span className="badge badge-neutral">Off</span>}
        </div>
        {user.totpEnabled ? <TotpDisable /> : <TotpEnrolment />}
      </section>
    </>
  );
}
