/**
 * /cases: intake, the case view, actions on the case and its securing processes, documents and materials,
 * parties' personal data, access codes and contact. Each route names its path and the policy it checks
 * (`loadCase`); the handlers in cases/ parse, ask, and answer.
 */
import { Router, type Request, type RequestHandler } from 'express';
import type { CaseAction as PolicyAction } from '../../domain/access-policy.js';
import { CASE_ACTION_ROUTES, PROCESS_ACTION_ROUTES } from '../schemas.js';
import { loadVisibleCase, type CasesDeps } from './cases/context.js';
import { registerCase } from './cases/intake.js';
import { showCase, showDeadlines } from './cases/view.js';
import {
  applyForJudicialConfirmation,
  requestNotarization,
  takeCaseAction,
  takeProcessAction,
} from './cases/actions.js';
import { downloadDocument, listAgreementDrafts, listDocuments } from './cases/documents.js';
import { downloadMaterial, listMaterials, recordMaterial } from './cases/materials.js';
import { issuePartyAccessCode, showPersonalData } from './cases/parties.js';
import { confirmServiceAddress, listDeliveries, sendContactPhoneChallenge } from './cases/contact.js';

export type { CasesDeps } from './cases/context.js';
export { startCase } from './cases/intake.js';

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function casesRouter(deps: CasesDeps): Router {
  const router = Router();
  // Every answer here names parties or tells the case's events: no cache (a browser's, a proxy's) may keep it.
  router.use(noStore);
  // The case the URL names, if this principal may see it (404 otherwise); with an action, 403 if their role may not.
  const loadCase = (req: Request, action?: PolicyAction) => loadVisibleCase(deps, req, action);

  router.post('/', registerCase(deps));
  router.get('/:caseId', async (req, res) => showCase(deps, req, res, await loadCase(req)));

  // Actions with their own handler; then those on a securing process, whose policy the process's roles state;
  // then every other action on the case.
  router.post('/:caseId/judicial-confirmation', async (req, res) =>
    applyForJudicialConfirmation(deps, req, res, await loadCase(req, 'apply_judicial_confirmation')),
  );
  router.post('/:caseId/notarization', async (req, res) =>
    requestNotarization(deps, req, res, await loadCase(req, 'request_notarization')),
  );
  for (const [path, spec] of Object.entries(PROCESS_ACTION_ROUTES)) {
    router.post(`/:caseId/${path}`, async (req, res) => takeProcessAction(deps, spec, req, res, await loadCase(req)));
  }
  for (const [path, spec] of Object.entries(CASE_ACTION_ROUTES)) {
    router.post(`/:caseId/${path}`, async (req, res) =>
      takeCaseAction(deps, spec, req, res, await loadCase(req, spec.type)),
    );
  }

  router.get('/:caseId/deadlines', async (req, res) => showDeadlines(deps, res, await loadCase(req)));
  router.get('/:caseId/documents', async (req, res) =>
    listDocuments(deps, res, await loadCase(req, 'downloadDocument')),
  );
  router.get('/:caseId/agreement/drafts', async (req, res) =>
    listAgreementDrafts(deps, res, await loadCase(req, 'downloadDocument')),
  );
  router.get('/:caseId/documents/:documentId', async (req, res) =>
    downloadDocument(deps, req, res, await loadCase(req, 'downloadDocument')),
  );

  router.post('/:caseId/parties/contact/phone-challenge', async (req, res) => {
    await loadCase(req, 'confirm_service_address');
    await sendContactPhoneChallenge(deps, req, res);
  });
  router.post('/:caseId/parties/contact', async (req, res) =>
    confirmServiceAddress(deps, req, res, await loadCase(req, 'confirm_service_address')),
  );

  router.post('/:caseId/materials', async (req, res) =>
    recordMaterial(deps, req, res, await loadCase(req, 'record_material')),
  );
  router.get('/:caseId/materials', async (req, res) => listMaterials(deps, res, await loadCase(req, 'readMaterials')));
  router.get('/:caseId/deliveries', async (req, res) =>
    listDeliveries(deps, res, await loadCase(req, 'readDeliveries')),
  );
  router.get('/:caseId/materials/:materialId', async (req, res) =>
    downloadMaterial(deps, req, res, await loadCase(req, 'readMaterials')),
  );

  router.get('/:caseId/parties/:partyId/personal-data', async (req, res) =>
    showPersonalData(deps, req, res, await loadCase(req)),
  );
  router.post('/:caseId/parties/:partyId/access-code', async (req, res) =>
    issuePartyAccessCode(deps, req, res, await loadCase(req, 'issueAccessCode')),
  );

  return router;
}
