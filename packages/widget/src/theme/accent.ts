import { MIN_TEXT_CONTRAST, contrastColor, contrastRatio, type Rgb } from '@direturn/protocol';

export { MIN_TEXT_CONTRAST, contrastColor, contrastRatio };

/**
 * Applies an accent colour passed in the frame URL, if it is a valid CSS colour. Text on it is the
 * theme's `contrast` colour when that pair reaches WCAG AA (4.5:1); otherwise a warning names the
 * ratio and black or white, whichever contrasts more, is used instead.
 */
export function applyAccent(value: string | null, contrast: string | null = null, root: HTMLElement = document.documentElement): boolean {
  if (!value || value.length > 64 || !CSS.supports('color', value)) return false;
  root.style.setProperty('--direturn-accent', value);
  const rgb = toRgb(value, root);
  if (!rgb) return true;
  const themed = contrast && contrast.length <= 64 && CSS.supports('color', contrast) ? toRgb(contrast, root) : undefined;
  if (themed) {
    const ratio = contrastRatio(rgb, themed);
    if (ratio >= MIN_TEXT_CONTRAST) {
      root.style.setProperty('--direturn-accent-contrast', contrast);
      return true;
    }
    console.warn(
      `DiReturn: --direturn-accent-contrast (${contrast}) on --direturn-accent (${value}) has a contrast of ` +
        `${ratio.toFixed(2)}:1, below the ${MIN_TEXT_CONTRAST}:1 WCAG AA needs; the chat and its launcher use ${contrastColor(rgb)} instead.`,
    );
  }
  root.style.setProperty('--direturn-accent-contrast', contrastColor(rgb));
  return true;
}

function toRgb(value: string, root: HTMLElement): Rgb | undefined {
  const probe = document.createElement('span');
  probe.style.color = value;
  probe.style.display = 'none';
  root.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  const match = computed.match(/rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}
