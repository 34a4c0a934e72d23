import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../i18n/index.ts';
import { LessonMenu } from '../lessons/LessonMenu.tsx';
import { ShareActions } from '../share/ShareActions.tsx';

/** The title bar: the lab's name, the lesson menu, Share / Embed / Display, and the English ⇄ العربية switch. */
export function Header() {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="brand">
        <h1 className="app-title">{t('app.title')}</h1>
        <p className="app-tagline">{t('app.tagline')}</p>
      </div>
      <LessonMenu />
      <ShareActions />
      <LanguageSwitch />
    </header>
  );
}

/**
 * Both languages, each named in itself and marked with its own `lang`, so a screen reader
 * pronounces «العربية» in Arabic even on the English page.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage;
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <button
          key={language.code}
          type="button"
          lang={language.code}
          dir={language.dir}
          className="language-option"
          aria-pressed={current === language.code}
          onClick={() => void i18n.changeLanguage(language.code)}
        >
          {language.label}
        </button>
      ))}
    </div>
  );
}
