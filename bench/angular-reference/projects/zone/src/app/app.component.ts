// The guide's component (plain fields assigned in subscribe), with the benchmark's test hooks.
import { Component, OnInit } from '@angular/core';
import { JsonPipe } from '@angular/common';
import { OidcSecurityService } from 'angular-auth-oidc-client';
import { decodeIdToken, type IdTokenClaims } from '@logto/js';

@Component({
  selector: 'app-root',
  imports: [JsonPipe],
  template: `
    <h1>Angular + Logto</h1>
    @if (isAuthenticated) {
      <button data-testid="sign-out" (click)="signOut()">Sign out</button>
      <pre data-testid="id-token-claims">{{ idTokenClaims | json }}</pre>
      <pre data-testid="access-token">{{ accessToken }}</pre>
    } @else {
      <button data-testid="sign-in" (click)="signIn()">Sign in</button>
    }
  `,
})
export class AppComponent implements OnInit {
  isAuthenticated = false;
  idTokenClaims?: IdTokenClaims;
  accessToken?: string;

  constructor(public oidcSecurityService: OidcSecurityService) {}

  ngOnInit() {
    this.oidcSecurityService.checkAuth().subscribe(({ isAuthenticated, idToken, accessToken }) => {
      this.isAuthenticated = isAuthenticated;
      this.idTokenClaims = idToken ? decodeIdToken(idToken) : undefined;
      this.accessToken = accessToken;
    });
  }

  signIn() {
    this.oidcSecurityService.authorize();
  }

  signOut() {
    this.oidcSecurityService.logoff().subscribe();
  }
}
