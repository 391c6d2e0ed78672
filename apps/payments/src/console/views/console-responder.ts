import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { LANGUAGE_COOKIE, readCookie, setCookie } from '../session/console-cookies';
import type { ConsoleRequest } from '../session/console-request';
import { ConsoleRenderer, type ConsoleTemplate } from './console-renderer';
import { formatters } from './formatters';
import { CONSOLE_LANGUAGES, LABELS, type ConsoleLabels, type ConsoleLanguage } from './labels';

const YEAR_SECONDS = 365 * 24 * 3600;

/** The sections of the navigation; a page names the one it belongs to. */
export type ConsoleSection =
  'attention' | 'search' | 'subscriptions' | 'notifications' | 'outbox' | 'reconciliation' | 'sign-in';

export interface PageOptions {
  section: ConsoleSection;
  title: (t: ConsoleLabels) => string;
  status?: number;
  notice?: (t: ConsoleLabels) => string | undefined;
}

/** Renders a console page in the operator's language and sends it as HTML. */
@Injectable()
export class ConsoleResponder {
  constructor(private readonly renderer: ConsoleRenderer) {}

  /** `?lang=` switches and is remembered in a cookie; then the cookie; Korean otherwise. */
  language(request: ConsoleRequest, response: Response): ConsoleLanguage {
    const asked = request.query.lang;
    if (typeof asked === 'string' && isLanguage(asked)) {
      setCookie(request, response, LANGUAGE_COOKIE, asked, YEAR_SECONDS);
      return asked;
    }
    const kept = readCookie(request, LANGUAGE_COOKIE);
    return kept && isLanguage(kept) ? kept : 'ko';
  }

  labels(request: ConsoleRequest, response: Response): ConsoleLabels {
    return LABELS[this.language(request, response)];
  }

  page(
    request: ConsoleRequest,
    response: Response,
    template: ConsoleTemplate,
    options: PageOptions,
    data: object = {},
  ): void {
    const lang = this.language(request, response);
    const t = LABELS[lang];
    const html = this.renderer.render(template, {
      t,
      f: formatters(t),
      lang,
      section: options.section,
      title: options.title(t),
      notice: options.notice?.(t),
      operator: request.signedIn?.operator.username,
      csrf: request.signedIn?.session.csrfToken,
      languageSwitch: switchLink(request, lang === 'ko' ? 'en' : 'ko'),
      ...data,
    });
    response
      .status(options.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(html);
  }
}

function isLanguage(value: string): value is ConsoleLanguage {
  return (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}

/** The page being shown, in the other language: a GET keeps its query; after a POST, its page's path. */
function switchLink(request: ConsoleRequest, lang: ConsoleLanguage): string {
  const url = new URL(request.originalUrl, 'http://console.invalid');
  if (request.method !== 'GET') url.search = '';
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}
