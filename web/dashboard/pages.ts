// The dashboard's pages, in the order of the navigation: one entry per page (its id in the
// URL's ?view=, its title, the least role that sees it, whether it works on one survey, and
// the function that draws it). A new page is a new file and one line here.
import type { TextKey as Key } from './i18n';
import type { Role } from './app';
import { overview } from './overview';
import { responses, promoters } from './responses';
import { followup } from './followup';
import { surveysView } from './surveys';
import { tokensView, usersView } from './admin';
import { why } from './why';
import { contactsView } from './contacts';
import { campaignsView } from './campaigns';
import { emailPreview } from './email_preview';
import { driversView } from './drivers';
import { churnView } from './churn';
import { benchmarksView } from './benchmarks';
import { responsePage } from './response_page';
import { respondentPage } from './respondent_page';
import { webhooksView } from './webhooks';
import { funnelView } from './funnel';
import { api, can, go, surveyPicker } from './app';

// `nav: false`: a page reached by links only (one answer, one respondent), not in the navigation.
export type Page = { id: string; key: Key; role: Role; survey: boolean; nav?: false; draw: (p: URLSearchParams) => Promise<HTMLElement> };

export const pages: Page[] = [
  { id: 'overview', key: 'overview', role: 'viewer', survey: true, draw: overview },
  { id: 'why', key: 'why', role: 'viewer', survey: true, draw: (p) => why(p, { api, go, surveyPicker, canReadComments: can('analyst') }) },
  { id: 'drivers', key: 'drivers', role: 'viewer', survey: true, draw: driversView },
  { id: 'churn', key: 'churn', role: 'viewer', survey: true, draw: churnView },
  { id: 'benchmarks', key: 'benchmarks', role: 'viewer', survey: true, draw: benchmarksView },
  { id: 'funnel', key: 'fn_title', role: 'viewer', survey: true, draw: funnelView },
  { id: 'responses', key: 'responses', role: 'analyst', survey: true, draw: responses },
  { id: 'followup', key: 'followup', role: 'analyst', survey: true, draw: followup },
  { id: 'promoters', key: 'promoters', role: 'analyst', survey: true, draw: promoters },
  { id: 'response', key: 'rp_title', role: 'analyst', survey: true, nav: false, draw: responsePage },
  { id: 'respondent', key: 'respondent', role: 'analyst', survey: true, nav: false, draw: respondentPage },
  { id: 'surveys', key: 'surveys', role: 'viewer', survey: false, draw: surveysView },
  { id: 'contacts', key: 'contacts', role: 'analyst', survey: false, draw: contactsView },
  { id: 'campaigns', key: 'campaigns', role: 'viewer', survey: false, draw: campaignsView },
  { id: 'email-preview', key: 'email_preview', role: 'viewer', survey: true, draw: emailPreview },
  { id: 'tokens', key: 'tokens', role: 'admin', survey: false, draw: tokensView },
  { id: 'users', key: 'users', role: 'admin', survey: false, draw: usersView },
  { id: 'webhooks', key: 'webhooks', role: 'admin', survey: false, draw: webhooksView },
];
