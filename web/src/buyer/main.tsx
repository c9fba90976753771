import '../shared/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BuyerApp } from './BuyerApp.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BuyerApp />
  </StrictMode>,
);
