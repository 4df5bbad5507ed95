/**
 * A case by its number (案号) in the supervision lists (差评回访, 随机回访, 投诉处理), as the queues show it, opening
 * the case file. Kept on one line: a supervisor scans these lists by the number, and a number broken before its
 * last character (…第0001 / 号) is read wrong. `about` follows the number for screen readers only: which row it is.
 */
import { Link } from 'react-router';
import './supervision.css';

export function CaseNumberLink({ caseId, caseNumber, about }: { caseId: string; caseNumber: string; about: string }) {
  return (
    <Link to={`/cases/${caseId}`} className="case-number-link">
      {caseNumber}
      <span className="sr-only">（{about}）</span>
    </Link>
  );
}
