import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/**
 * The navigation state a page was opened with (the notice of the save that led here). It is shown once: the state is
 * cleared from the history entry, so a reload does not repeat it.
 */
export function useArrival<T extends object>(): Partial<T> {
  const location = useLocation();
  const navigate = useNavigate();
  const [arrival] = useState(() => (location.state as Partial<T> | null) ?? {});
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.pathname, location.state, navigate]);
  return arrival;
}
