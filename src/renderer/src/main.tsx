// Entry of the workspace: picks the transport, wires the API's events into the slices, renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApiHandle } from './api';
import { App } from './components/App';
import './i18n';
import { startWorkspace } from './state/actions';
import './styles.css';

const handle = getApiHandle();
startWorkspace({ api: handle.api, transport: handle.transport, window });

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
