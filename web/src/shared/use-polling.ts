/** Runs `run` every `ms` while `active` and the page is shown; stops when the tab is hidden or the page is left. */
import { useEffect, useRef } from 'react';

export function usePolling(active: boolean, run: () => void, ms: number): void {
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setInterval> | null = null;
    const start = () => {
      if (timer === null && !document.hidden) timer = setInterval(() => runRef.current(), ms);
    };
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    const onVisibility = () => {
      if (document.hidden) stop();
      else {
        // back on the page: what happened meanwhile, at once
        runRef.current();
        start();
      }
    };
    start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [active, ms]);
}
