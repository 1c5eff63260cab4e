// The guide's component with signals instead of plain fields (zoneless), same test hooks.
import { Component, OnInit, signal } from '@angular/core';
import { JsonPipe } from '@angular/common';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import { decodeIdToken, type IdTokenClaims } from '@logto/js';

@Component({
  selector: 'app-root',
  imports: [JsonPipe],
  template: `
    <h1>Angular + Logto</h1>
    @if (isAuthenticated()) {
      <button data-testid="sign-out" (click)="signOut()">Sign out</button>
      <pre data-testid="id-token-claims">{{ idTokenClaims() | json }}</pre>
      <pre data-testid="access-token">{{ accessToken() }}</pre>
    } @else {
      <button data-testid="sign-in" (click)="signIn()">Sign in</button>
    }
  `,
})
export class AppComponent implements OnInit {
  isAuthenticated = signal(false);
  idTokenClaims = signal<IdTokenClaims | undefined>(undefined);
  accessToken = signal<string | undefined>(undefined);

  constructor(public oidcSecurityService: OidcSecurityService) {}

  ngOnInit() {
    this.oidcSecurityService.checkAuth().subscribe(({ isAuthenticated, idToken, accessToken }) => {
      this.isAuthenticated.set(isAuthenticated);
      this.idTokenClaims.set(idToken ? decodeIdToken(idToken) : undefined);
      this.accessToken.set(accessToken);
    });
  }

  signIn() {
    this.oidcSecurityService.authorize();
  }

  signOut() {
    this.oidcSecurityService.logoff().subscribe();
  }
}
