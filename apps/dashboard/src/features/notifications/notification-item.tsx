import { formatRelative } from '../../ui/format';
import type { AppNotification } from './notifications-api';

interface NotificationItemProps {
  readonly notification: AppNotification;
  readonly onOpen: (notification: AppNotification) => void;
}

export function NotificationItem({ notification, onOpen }: NotificationItemProps) {
  const content = (
    <>
      <span className={`severity-dot severity-${notification.severity}`} aria-hidden="true" />
      <span className="notification-text">
        <span className="notification-title">
          {notification.title}
          {!notification.read && <span className="visually-hidden"> (unread)</span>}
        </span>
        <span className="notification-body">{notification.body}</span>
        <span className="notification-time">{formatRelative(notification.createdAt)}</span>
      </span>
    </>
  );
  return (
    <li className={notification.read ? 'notification' : 'notification unread'}>
      {notification.link === null ? (
        <div className="notification-inner">{content}</div>
      ) : (
        <button type="button" className="notification-inner" onClick={() => onOpen(notification)}>
          {content}
        </button>
      )}
    </li>
  );
}
