/** The frame around every signed-in screen: who is signed in, the way back to the queue, and sign-out. */
import { Button, Layout } from 'antd';
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { label, ROLE_LABELS } from './labels';
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
          <NavLink to="/" end>
            工作台
          </NavLink>
          {principal?.role === 'clerk' ? <NavLink to="/cases/new">登记案件</NavLink> : null}
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
