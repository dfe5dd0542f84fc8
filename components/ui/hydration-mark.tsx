'use client';

import { useEffect } from 'react';

/**
 * Sets `<html data-hydrated>` once React has hydrated the page. Until then a button that needs
 * JavaScript does nothing when clicked; the end-to-end tests wait for this mark before using one.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return null;
}
