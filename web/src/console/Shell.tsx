/** The frame around every signed-in screen: who is signed in, the role's own lists, and sign-out. */
import { Button, Layout } from 'antd';
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { label, ROLE_LABELS } from './labels';
import { NAV } from './pages/Workbench';
import { useSession } from './session';

export function Shell({ children }: { children: ReactNode }) {
  const { principal, logout } = useSession();
  return (
    <Layout>
      <a className="skip-link" href="#main">
        跳到主要内容
      </a>
      <Layout.Header className="console-header">
        <span className="console-brand">一站式非诉讼纠纷化解中心</span>
        <nav aria-label="主导航">
          {(principal ? (NAV[principal.role] ?? []) : []).map((entry) => (
            <NavLink key={entry.to} to={entry.to} end>
              {entry.label}
            </NavLink>
          ))}
        </nav>
        {principal ? (
          <span className="console-user">
            {principal.name}（{label(ROLE_LABELS, principal.role)}）
          </span>
        ) : null}
        <Button onClick={() => void logout()}>退出</Button>
      </Layout.Header>
      {/* Layout.Content is antd's <main>: the skip link's target. */}
      <Layout.Content id="main" tabIndex={-1} className="console-main">
        {children}
      </Layout.Content>
    </Layout>
  );
}
