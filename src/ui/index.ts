/** The lab's React UI. It reads and acts only through the store (src/store/react.tsx). */
export { App } from './app/App.tsx';
