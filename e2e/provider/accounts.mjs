// Seeded users of the local provider. The dev login accepts any username and password:
// a seeded username gets the claims below, any other gets a plain profile.
const created = Date.UTC(2025, 0, 15, 9, 30); // Logto reports times in milliseconds.

const SEEDED = {
  alice: {
    name: 'Alice Example',
    email: 'alice@example.test',
    email_verified: true,
    phone_number: '+15550100001',
    phone_number_verified: true,
    roles: ['admin', 'editor'],
    organizations: ['org-acme', 'org-globex'],
    organization_roles: ['org-acme:owner', 'org-globex:member'],
    organization_data: [
      { id: 'org-acme', name: 'Acme', description: 'Acme Corporation' },
      { id: 'org-globex', name: 'Globex', description: null },
    ],
    custom_data: { plan: 'pro', theme: 'dark', seats: 5 },
    identities: { github: { userId: '1001', details: { login: 'alice-gh' } } },
    sso_identities: [],
  },
  bob: {
    name: 'Bob Builder',
    email: 'bob@example.test',
    email_verified: false,
    roles: ['viewer'],
    organizations: [],
    organization_roles: [],
    organization_data: [],
    custom_data: {},
    identities: {},
    sso_identities: [],
  },
};

// Claims that Logto releases only at the userinfo endpoint, never in the ID token.
const USERINFO_ONLY = new Set(['custom_data', 'identities', 'sso_identities', 'organization_data']);

export async function findAccount(ctx, id) {
  const username = String(id).trim().toLowerCase() || 'user';
  const seeded = SEEDED[username] || {
    name: username,
    email: `${username}@example.test`,
    email_verified: false,
    roles: [],
    organizations: [],
    organization_roles: [],
    organization_data: [],
    custom_data: {},
    identities: {},
    sso_identities: [],
  };
  return {
    accountId: username,
    async claims(use) {
      const all = {
        sub: username,
        username,
        picture: `https://avatars.example.test/${username}.png`,
        created_at: created,
        updated_at: created + 86_400_000,
        ...seeded,
      };
      if (use === 'id_token') {
        for (const key of USERINFO_ONLY) delete all[key];
      }
      return all;
    },
  };
}
