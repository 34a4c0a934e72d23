import enCore from '../../locales/en/translation.json';
import arCore from '../../locales/ar/translation.json';
import enTimeline from '../../locales/en/timeline.json';
import arTimeline from '../../locales/ar/timeline.json';
import enLessons from '../../locales/en/lessons.json';
import arLessons from '../../locales/ar/lessons.json';
import enShare from '../../locales/en/share.json';
import arShare from '../../locales/ar/share.json';
import enCrash from '../../locales/en/crash.json';
import arCrash from '../../locales/ar/crash.json';
import enFiles from '../../locales/en/files.json';
import arFiles from '../../locales/ar/files.json';

/**
 * The strings of each language, one file per part of the lab (the core panels, the timeline,
 * lessons, sharing and embedding, crash and recovery, files and config), merged into i18next's
 * single `translation` namespace. Each file owns distinct top-level keys, so a merge never
 * overwrites; the locale tests check that, and that Arabic has the same keys as English.
 */
export const LOCALE_FILES = {
  en: { translation: enCore, timeline: enTimeline, lessons: enLessons, share: enShare, crash: enCrash, files: enFiles },
  ar: { translation: arCore, timeline: arTimeline, lessons: arLessons, share: arShare, crash: arCrash, files: arFiles },
} as const;

export const englishStrings = { ...enCore, ...enTimeline, ...enLessons, ...enShare, ...enCrash, ...enFiles };
export const arabicStrings = { ...arCore, ...arTimeline, ...arLessons, ...arShare, ...arCrash, ...arFiles };

export type EnglishStrings = typeof englishStrings;
