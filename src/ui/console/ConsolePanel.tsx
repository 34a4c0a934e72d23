import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab, useLabStoreApi } from '../../store/react.tsx';
import { TranscriptItem } from './TranscriptItem.tsx';
import { useHistoryNavigation } from './use-history-navigation.ts';
import { QUICK_ACTIONS } from './quick-actions.ts';
import { formatNumber, languageInfo } from '../../i18n/index.ts';

/**
 * The redis-cli console: the screen (an LTR island, whatever the page's direction), the prompt
 * line with history, and the quick actions that fill the prompt line with an example.
 */
export function ConsolePanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? 'en';
  const store = useLabStoreApi();
  const transcript = useLab((s) => s.transcript);
  const history = useLab((s) => s.history);
  const prompt = useLab((s) => s.prompt);
  // The moment shown and the tape's length, only while the lab shows the past: numbers, so that
  // the live clock's ticks at now do not re-render the console.
  const pastPosition = useLab((s) => (s.timeline.position < s.timeline.length ? s.timeline.position : null));
  const length = useLab((s) => (s.timeline.position < s.timeline.length ? s.timeline.length : null));
  const [draft, setDraft] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const { older, newer, leave } = useHistoryNavigation(history, draft, setDraft);

  // Keep the newest output in view, as a terminal does.
  useLayoutEffect(() => {
    const screen = screenRef.current;
    if (screen !== null) screen.scrollTop = screen.scrollHeight;
  }, [transcript]);

  const run = (): void => {
    store.getState().runLine(draft);
    setDraft('');
    leave();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowUp') {
      event.preventDefault();
      older();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      newer();
    } else if (event.key === 'l' && event.ctrlKey) {
      // Ctrl+L clears the screen, as in redis-cli.
      event.preventDefault();
      store.getState().clearScreen();
    }
  };

  const fill = (example: string): void => {
    setDraft(example);
    leave();
    inputRef.current?.focus();
  };

  return (
    <section className="panel console-panel" data-panel="console" aria-labelledby="console-title">
      <div className="panel-header">
        <h2 id="console-title">
          {t('console.title')} <span className="panel-subtitle" dir="ltr">redis-cli</span>
        </h2>
        <button type="button" className="button button-quiet" onClick={() => store.getState().clearScreen()}>
          {t('console.clear')}
        </button>
      </div>
      <p className="panel-intro">{t('console.intro')}</p>
      {/* A click on the screen puts the caret in the prompt line, unless the learner is selecting text. */}
      <div
        className="terminal"
        dir="ltr"
        ref={screenRef}
        onClick={() => {
          if (window.getSelection()?.isCollapsed !== false) inputRef.current?.focus();
        }}
      >
        {transcript.length === 0 && (
          <p className="screen-hint" dir={languageInfo(lng).dir}>
            {t('console.emptyScreen')}
          </p>
        )}
        <ol className="transcript" aria-label={t('console.outputLabel')}>
          {transcript.map((entry) => (
            <TranscriptItem key={entry.id} entry={entry} />
          ))}
        </ol>
        <form
          className="prompt-row"
          onSubmit={(event) => {
            event.preventDefault();
            run();
          }}
        >
          <span className="prompt" aria-hidden="true">
            {prompt}
          </span>
          <input
            id="console-input"
            ref={inputRef}
            className="prompt-input"
            type="text"
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              leave();
            }}
            onKeyDown={onKeyDown}
            aria-label={t('console.inputLabel')}
            aria-describedby={pastPosition !== null ? 'console-past-note console-hint' : 'console-hint'}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            enterKeyHint="send"
          />
        </form>
        {/* Said right under the prompt, as well as in the timeline: a command here drops the later moments. */}
        {pastPosition !== null && length !== null && (
          <p className="console-past-note" id="console-past-note" dir={languageInfo(lng).dir}>
            {t('console.pastNote', { position: formatNumber(pastPosition, lng), length: formatNumber(length, lng) })}
          </p>
        )}
      </div>
      <p className="hint" id="console-hint">
        {/* The arrow keys are no help on a touch screen: it gets its own words (CSS picks). */}
        <span className="for-pointer">{t('console.hint')}</span>
        <span className="for-touch">{t('console.hintTouch')}</span>
      </p>
      <QuickActions onFill={fill} />
    </section>
  );
}

function QuickActions({ onFill }: { onFill: (example: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="quick-actions" role="group" aria-labelledby="quick-title" aria-describedby="quick-hint">
      <h3 id="quick-title">{t('console.quickTitle')}</h3>
      <p className="hint" id="quick-hint">
        {t('console.quickHint')}
      </p>
      <ul className="quick-list">
        {QUICK_ACTIONS.map((action) => (
          <li key={action.id}>
            <button type="button" className="quick-button" onClick={() => onFill(action.example)} title={action.example}>
              <span className="quick-verb" dir="ltr">
                {action.verb}
              </span>
              <span className="quick-description">{t(`console.quick.${action.id}`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

