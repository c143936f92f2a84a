import { Redirect, Route, Switch } from 'wouter';
import { AccountSecurityPage } from '../features/account/account-security-page';
import { ApiSecretPage } from '../features/api-secret/api-secret-page';
import { AuditLogPage } from '../features/audit/audit-log-page';
import { PublicOnly, RequireActiveBp, RequireSession } from '../features/auth/current-session';
import { LoginPage } from '../features/auth/login-page';
import { SignupPage } from '../features/auth/signup-page';
import { CallbackUrlsPage } from '../features/callback-urls/callback-urls-page';
import { DeliveriesPage } from '../features/deliveries/deliveries-page';
import { OverviewPage } from '../features/developers/overview-page';
import { InvitationPage } from '../features/invitations/invitation-page';
import { IpAllowlistPage } from '../features/ip-allowlist/ip-allowlist-page';
import { KeyPairPage } from '../features/keypair/keypair-page';
import { RequestLogsPage } from '../features/request-logs/request-logs-page';
import { SandboxPage } from '../features/sandbox/sandbox-page';
import { TeamPage } from '../features/team/team-page';
import { TransactionsPage } from '../features/transactions/transactions-page';
import { AppLayout } from './layout/app-layout';
import { HOME_PATH } from './navigation';
import { NotFoundPage } from './not-found-page';

export function AppRouter() {
  return (
    <Switch>
      <Route path="/login">
        <PublicOnly>
          <LoginPage />
        </PublicOnly>
      </Route>
      <Route path="/signup">
        <PublicOnly>
          <SignupPage />
        </PublicOnly>
      </Route>
      <Route path="/invite/:token">{(params) => <InvitationPage token={params.token} />}</Route>
      <Route>
        <RequireSession>
          <AppLayout>
            <AppRoutes />
          </AppLayout>
        </RequireSession>
      </Route>
    </Switch>
  );
}

/** Pages inside the shell; the session is guaranteed here. */
function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <Redirect to={HOME_PATH} replace />
      </Route>
      <Route path="/developers">
        <Redirect to={HOME_PATH} replace />
      </Route>
      <Route path="/developers/overview">
        <RequireActiveBp>
          <OverviewPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/request-logs">
        <RequireActiveBp>
          <RequestLogsPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/transactions">
        <RequireActiveBp>
          <TransactionsPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/sandbox">
        <RequireActiveBp>
          <SandboxPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/keypair">
        <RequireActiveBp>
          <KeyPairPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/api-secret">
        <RequireActiveBp>
          <ApiSecretPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/callback-urls">
        <RequireActiveBp>
          <CallbackUrlsPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/deliveries">
        <RequireActiveBp>
          <DeliveriesPage />
        </RequireActiveBp>
      </Route>
      {/* The page's earlier address, kept so bookmarks and old links still land on it. */}
      <Route path="/developers/ip-whitelist">
        <Redirect to="/developers/ip-allowlist" replace />
      </Route>
      <Route path="/developers/ip-allowlist">
        <RequireActiveBp>
          <IpAllowlistPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/audit-log">
        <RequireActiveBp>
          <AuditLogPage />
        </RequireActiveBp>
      </Route>
      <Route path="/developers/team">
        <RequireActiveBp>
          <TeamPage />
        </RequireActiveBp>
      </Route>
      <Route path="/account/security">
        <AccountSecurityPage />
      </Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
