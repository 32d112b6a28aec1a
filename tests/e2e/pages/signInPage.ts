import type { Page } from 'playwright-core';

/** Page object of the sign-in screen (/signin) and the NavBar's user / sign-out controls. */
export class SignInPage {
  constructor(
    private readonly page: Page,
    private readonly baseURL: string,
  ) {}

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByTestId('signin-form').waitFor();
    await this.page.getByTestId('signin-username').fill(username);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
  }

  async error(): Promise<string> {
    const e = this.page.getByTestId('signin-error');
    await e.waitFor();
    return (await e.textContent()) ?? '';
  }

  async signedInAs(): Promise<string> {
    const u = this.page.getByTestId('auth-user');
    await u.waitFor();
    return ((await u.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('sign-out').click();
    await this.page.waitForURL(`${this.baseURL}/signin`);
  }
}
