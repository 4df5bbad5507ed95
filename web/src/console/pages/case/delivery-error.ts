/**
 * What a delivery attempt's error means, in Chinese. The delivery log keeps a category or the SMS gateway's
 * answer in English for operators (activities: never the number or the text); anything not known here is shown
 * as it is, after 原因.
 */
export function deliveryErrorText(error: string | null): string | null {
  if (!error) return null;
  const answered = /^the gateway answered (\d{3})$/.exec(error);
  if (answered) return `短信网关返回 ${answered[1]}`;
  if (error === 'timeout') return '超时未响应';
  if (error === 'connection failed') return '无法连接对方系统';
  if (error.startsWith('refused target')) return '对方登记的接收地址不可用';
  return `原因：${error}`;
}
