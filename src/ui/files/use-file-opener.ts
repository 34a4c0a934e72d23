import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { openPickedFiles, type OpenedFile, type OpenRefusal } from '../../store/file-transfer.ts';
import { useAnnounce } from '../Narrator.tsx';
import { droppedFiles, inputFiles, readFiles } from './read-picked.ts';

/**
 * The inspector's files from the student's computer: what is open, which one is shown, and the
 * handlers of the file picker and of a drop. Opening never touches the lab's node; opening again
 * replaces what was open. Decoding runs after a pause for the browser to paint "Reading…".
 */

export interface FileOpener {
  readonly files: readonly OpenedFile[];
  readonly refused: readonly OpenRefusal[];
  readonly shown: OpenedFile | null;
  /** True while files are read and decoded. */
  readonly busy: boolean;
  /** True while files are dragged over the drop target. */
  readonly dragging: boolean;
  /** Something was opened (or refused): the inspector shows it instead of the lab's disk. */
  readonly active: boolean;
  openList(list: FileList | null): void;
  show(id: string): void;
  close(): void;
  readonly dropTarget: {
    onDragEnter(event: DragEvent): void;
    onDragOver(event: DragEvent): void;
    onDragLeave(event: DragEvent): void;
    onDrop(event: DragEvent): void;
  };
}

interface Opened {
  readonly files: readonly OpenedFile[];
  readonly refused: readonly OpenRefusal[];
  readonly shownId: string | null;
}

const NOTHING: Opened = { files: [], refused: [], shownId: null };

const carriesFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function useFileOpener(): FileOpener {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [opened, setOpened] = useState<Opened>(NOTHING);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const generation = useRef(0);
  const nextId = useRef(1);

  const open = useCallback(
    async (gather: Promise<{ file: File; path: string }[]>) => {
      const mine = ++generation.current;
      setBusy(true);
      try {
        const { picked, unread } = await readFiles(await gather);
        // Let "Reading…" paint before the (synchronous) decoding.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (mine !== generation.current) return;
        const result = openPickedFiles(picked, nextId.current);
        nextId.current = result.nextId;
        const refused = [
          ...unread.map((file): OpenRefusal => ({ name: file.name.slice(file.name.lastIndexOf('/') + 1), reason: file.reason, detail: '', sizeBytes: file.sizeBytes })),
          ...result.refused,
        ];
        setOpened({ files: result.files, refused, shownId: result.files[0]?.id ?? null });
        if (result.files.length > 0) announce(t('files.opened', { count: result.files.length }));
      } catch {
        if (mine === generation.current) setOpened({ files: [], refused: [{ name: '', reason: 'unreadable', detail: '', sizeBytes: 0 }], shownId: null });
      } finally {
        if (mine === generation.current) setBusy(false);
      }
    },
    [announce, t],
  );

  const dropTarget = useMemo(
    () => ({
      onDragEnter(event: DragEvent) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        dragDepth.current++;
        setDragging(true);
      },
      onDragOver(event: DragEvent) {
        if (!carriesFiles(event)) return;
        // Without this the browser would open the dropped file itself.
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(event: DragEvent) {
        if (!carriesFiles(event)) return;
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      },
      onDrop(event: DragEvent) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        void open(droppedFiles(event.dataTransfer));
      },
    }),
    [open],
  );

  const shown = opened.files.find((file) => file.id === opened.shownId) ?? null;
  return {
    files: opened.files,
    refused: opened.refused,
    shown,
    busy,
    dragging,
    active: opened.files.length > 0 || opened.refused.length > 0,
    openList: (list) => void open(Promise.resolve(inputFiles(list))),
    show: (id) => setOpened((previous) => ({ ...previous, shownId: id })),
    close: () => {
      generation.current++;
      setBusy(false);
      setOpened(NOTHING);
    },
    dropTarget,
  };
}
