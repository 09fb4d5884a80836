/** Every page and endpoint path, built in one place (templates get these, never concatenate). */
export const paths = {
  home: '/',
  health: '/health',
  signIn: '/sign-in',
  signOut: '/sign-out',
  referrals: '/referrals',
  referral: (id: string) => `/referrals/${encodeURIComponent(id)}`,
  runs: '/runs',
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  reports: '/reports',
  admin: '/admin',
  openApi: '/api/openapi.json',
} as const;
