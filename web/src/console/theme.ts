/**
 * antd's theme for the console. antd's defaults fail WCAG AA contrast (4.5:1) in several places: the primary
 * blue and its lighter hover shade, description, tertiary and placeholder text, and the status colours as tag
 * text (docs/screens.md#accessibility; axe checks every screen in test/browser). These tokens darken them.
 */
import type { ThemeConfig } from 'antd';

export const consoleTheme: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    // Hover and active shades darker than the primary, not lighter: white on them still reads.
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    // Labels (Descriptions) and other tertiary text.
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorInfo: '#0958d9',
    colorSuccess: '#237804',
    // Status colours are also tag text on their own light background (Tag's filled variant): text dark
    // enough, and the backgrounds fixed light, so both pass 4.5:1 (the derived backgrounds were darker).
    colorWarning: '#874d00',
    colorWarningBg: '#fffbe6',
    colorError: '#cf1322',
    colorErrorBg: '#fff1f0',
    colorSuccessBg: '#f6ffed',
    colorInfoBg: '#e6f4ff',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
  },
};
