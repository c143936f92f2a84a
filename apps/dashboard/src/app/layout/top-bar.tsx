import { NotificationsBell } from '../../features/notifications/notifications-bell';
import { BpSwitcher } from './bp-switcher';
import { LogOutButton } from './log-out-button';
import { UserMenu } from './user-menu';

export function TopBar() {
  return (
    <header className="top-bar">
      <BpSwitcher />
      <div className="top-bar-end">
        <NotificationsBell />
        <UserMenu />
        <LogOutButton />
      </div>
    </header>
  );
}
