import { useTranslation } from 'react-i18next';
import { useLabStoreApi } from '../../store/react.tsx';
import type { FileRowView } from '../../store/index.ts';
import { baseName, directoriesOf, zipDirectory } from '../../store/file-transfer.ts';
import { downloadBytes } from './download.ts';
import { ltrRun } from '../format-units.ts';

/**
 * Downloads from the disk panel: any file of the lab's disk as it is now (the page cache's view,
 * what `cp` would copy), and each directory (appendonlydir) as one .zip whose entries keep the
 * directory's name, so unzipping it in a real Redis's `dir` recreates it.
 */

export function FileDownloadButton({ name }: { name: string }) {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const download = (): void => {
    const bytes = store.getState().readDiskFile(name);
    if (bytes !== null) downloadBytes(bytes, baseName(name));
  };
  return (
    <button type="button" className="download-button" onClick={download} aria-label={t('files.download.fileLabel', { name })} title={t('files.download.fileLabel', { name })}>
      <DownloadIcon />
      <span className="download-text">{t('files.download.file')}</span>
    </button>
  );
}

export function DirectoryDownloads({ files }: { files: readonly FileRowView[] }) {
  const { t } = useTranslation();
  const store = useLabStoreApi();
  const directories = directoriesOf(files.map((file) => file.name));
  if (directories.length === 0) return null;
  const download = (dir: string): void => downloadBytes(zipDirectory(dir, files, store.getState().readDiskFile), `${dir}.zip`, 'application/zip');
  return (
    <div className="dir-downloads">
      {directories.map((dir) => (
        <button key={dir} type="button" className="button" onClick={() => download(dir)} aria-describedby="dir-download-hint">
          <DownloadIcon />
          <span>{t('files.download.dir', { dir: ltrRun(`${dir}/`) })}</span>
        </button>
      ))}
      <p className="hint" id="dir-download-hint">
        {t('files.download.dirHint')}
      </p>
    </div>
  );
}

function DownloadIcon() {
  return (
    <svg className="download-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M8 1.5v8.25M4.5 6.5 8 10l3.5-3.5M2.5 12v2h11v-2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
