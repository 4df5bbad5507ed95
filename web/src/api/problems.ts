/**
 * The one place where the API's refusals (RFC 9457 problem details, in English for operators) become what a
 * person reads, in Chinese. Screens show `ApiError.message`; a 422 also carries the rule and its article.
 */

/** A problem as the API sends it (api/problem.ts). */
export type ProblemBody = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  rule?: string;
  article?: string;
  retryAfterSeconds?: number;
};

/** What a screen shows for a failed request. */
export type Explained = {
  /** One sentence in Chinese. */
  message: string;
  /** The server's own words, when they help (what was refused and why). */
  detail?: string;
  /** 422: the rule that refused the action and the article it rests on. */
  rule?: string;
  article?: string;
  /** Quoted to the operator: the server's log line carries the same id. */
  requestId?: string;
  /** 400: the fields that were not valid. */
  fields?: { field: string; message: string }[];
};

export class ApiError extends Error {
  readonly explained: Explained;
  constructor(
    readonly status: number,
    readonly problem: ProblemBody | undefined,
    context: { login?: boolean } = {},
  ) {
    const explained = explain(status, problem, context);
    super(explained.message);
    this.name = 'ApiError';
    this.explained = explained;
  }
}

const codeOf = (p: ProblemBody | undefined) => p?.type?.replace(/^\/problems\//, '');

/** Problem codes with a sentence of their own (api/problem.ts and the routes' own conflicts). */
const BY_CODE: Record<string, string> = {
  'validation-error': '填写的内容有误，请按提示修改后再提交。',
  'malformed-json': '请求格式有误，请刷新页面后重试。',
  'too-many-attempts': '尝试次数过多，请稍后再试。',
  'idempotency-key-reused': '这项操作已在处理中，请勿重复提交；稍后刷新查看结果。',
  'action-not-taken-up': '案件暂时无法处理此操作（后台服务繁忙或重启中），请稍后用同一操作重试，不会重复办理。',
  unavailable: '系统依赖的服务暂时不可用，请稍后重试。',
  'case-closed': '案件已结案，不能再办理此操作。',
  'payload-too-large': '提交的内容过大。',
  'internal-error': '系统出错，错误已记录；本次操作没有改变任何内容。',
  'saved-filter-name-taken': '您已有同名的筛选，请换一个名称。',
  'saved-filters-full': '已保存的筛选已达上限（50 个），请先删除不用的筛选。',
};

const BY_STATUS: Record<number, string> = {
  400: '请求有误，请检查后重试。',
  401: '登录已过期，请重新登录。',
  403: '您的角色无权办理此操作。',
  404: '未找到，或您无权查看。',
  409: '案件状态已经变化，此操作现在不能办理；请刷新后查看。',
  413: '提交的内容过大。',
  415: '文件类型不受支持。',
  422: '依照规定，此操作现在不能办理。',
  429: '尝试次数过多，请稍后再试。',
  503: '服务暂时不可用，请稍后重试。',
};

export function explain(status: number, p: ProblemBody | undefined, context: { login?: boolean } = {}): Explained {
  const base = {
    ...(p?.requestId ? { requestId: p.requestId } : {}),
    ...(p?.detail ? { detail: p.detail } : {}),
  };
  if (status === 0) return { message: '无法连接服务器，请检查网络后重试。' };
  // A refused login is about the credentials; anywhere else a 401 means the session ended.
  if (status === 401 && context.login) return { ...base, message: '用户名或密码错误。' };
  // The expired-session dialog says the rest; the server's English sentence adds nothing.
  if (status === 401) return { message: BY_STATUS[401]! };
  if (status === 422 && codeOf(p) === 'rule-violation') {
    return {
      ...base,
      message: '依照规定，此操作现在不能办理。',
      ...(p?.rule ? { rule: p.rule } : {}),
      ...(p?.article ? { article: p.article } : {}),
    };
  }
  const code = codeOf(p);
  let message =
    (code ? BY_CODE[code] : undefined) ??
    BY_STATUS[status] ??
    (status >= 500 ? BY_CODE['internal-error']! : '请求未能完成。');
  if (status === 429 && typeof p?.retryAfterSeconds === 'number')
    message = `尝试次数过多，请 ${Math.ceil(p.retryAfterSeconds / 60)} 分钟后再试。`;
  return { ...base, message, ...(p?.errors?.length ? { fields: p.errors } : {}) };
}

/** The explanation as one paragraph (for a message toast or a screen reader's announcement). */
export function explainedText(e: Explained): string {
  const parts = [e.message];
  if (e.article || e.rule) parts.push(`依据：${e.article ?? ''}${e.rule ? `（规则 ${e.rule}）` : ''}`);
  if (e.detail && !e.fields) parts.push(`说明：${e.detail}`);
  if (e.fields) parts.push(e.fields.map((f) => `${f.field}：${f.message}`).join('；'));
  if (e.requestId) parts.push(`请求编号 ${e.requestId}`);
  return parts.join(' ');
}

/** Any error as one paragraph in Chinese. */
export function errorText(e: unknown, fallback = '操作未能完成，请重试。'): string {
  return e instanceof ApiError ? explainedText(e.explained) : fallback;
}
