import { useEffect } from 'react';

/**
 * While `active`, ask before the user leaves the page: a browser prompt on reload/close/typed
 * address (beforeunload), and a confirmation before any in-app link or control marked
 * `data-leaves-page` (log out, switching Business Partner) takes them away. The listener runs in
 * the capture phase on the document, before the router's own click handler, so a "Stay" answer
 * cancels the navigation entirely.
 */
export function useLeaveGuard(active: boolean, message: string): void {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Chromium still needs returnValue set for the prompt to appear.
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      if (!(event.target instanceof Element)) return;
      const control = event.target.closest('a[href], [data-leaves-page]');
      if (control === null) return;
      if (control instanceof HTMLAnchorElement) {
        const to = new URL(control.href, window.location.href);
        // Links within the page (anchors, downloads, new tabs) do not leave it.
        if (to.origin !== window.location.origin || control.target === '_blank' || control.hasAttribute('download')) return;
        if (to.pathname === window.location.pathname && to.search === window.location.search) return;
      }
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    const onChange = (event: Event) => {
      // A <select> that switches context (the Business Partner switcher) cannot be cancelled after the fact; ask first.
      if (event.target instanceof HTMLSelectElement && event.target.hasAttribute('data-leaves-page') && !window.confirm(message)) {
        event.stopPropagation();
        event.target.value = event.target.dataset.current ?? '';
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    document.addEventListener('change', onChange, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      document.removeEventListener('change', onChange, true);
    };
  }, [active, message]);
}
