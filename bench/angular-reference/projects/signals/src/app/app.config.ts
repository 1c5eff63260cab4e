// As Logto's Angular guide: provideAuth(buildAngularAuthConfig(...)). Angular 21 is zoneless by
// default; this variant keeps it zoneless and makes the fields signals.
import { ApplicationConfig, provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideAuth } from 'angular-auth-oidc-client';
import { buildAngularAuthConfig } from '@logto/js';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideHttpClient(),
    provideAuth({
      config: buildAngularAuthConfig({
        endpoint: 'http://127.0.0.1:3001',
        appId: 'demo-app',
        redirectUri: `${window.location.origin}/callback`,
        postLogoutRedirectUri: `${window.location.origin}/`,
      }),
    }),
  ],
};
