/** OpenID Connect sign-in (Microsoft Entra ID and similar), when configured. */
export interface OidcSignIn {
  /** Shown on the sign-in page: "Sign in with …". */
  displayName: string;
}
