import { useEffect } from 'react';

/**
 * Browser mode: leaving or reloading the page while `pending` captures have not reached the
 * archive asks first (the browser shows its own "Leave site?" prompt). Electron's window close is
 * handled in main (main/app/lifecycle.ts), which asks with the counts.
 */
export function useLeaveWarning(pending: number): void {
  useEffect(() => {
    if (pending === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [pending]);
}
